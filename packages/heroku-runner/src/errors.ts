/** Base error of @news2kindle/heroku-runner: a stable `code` to branch on, the facts, and the `cause`. */
export class HerokuError extends Error {
  override name = 'HerokuError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The port given to `startWeb` is missing or not a TCP port (Heroku sets `PORT` on web dynos only). */
export class InvalidPortError extends HerokuError {
  override name = 'InvalidPortError';
  readonly port: unknown;
  constructor(port: unknown) {
    super(
      'INVALID_PORT',
      `Expected a TCP port between 1 and 65535, got ${JSON.stringify(port) ?? String(port)}. ` +
        'On Heroku pass process.env.PORT (set on web dynos only); locally pick a default such as 5000.',
    );
    this.port = port;
  }
}

/** The web server could not bind its address (port taken, no permission). */
export class BindError extends HerokuError {
  override name = 'BindError';
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException)?.code ?? String(cause);
    super('BIND_FAILED', `Could not listen on ${host}:${port} (${reason}). Is another process using the port?`, {
      cause,
    });
    this.host = host;
    this.port = port;
  }
}

/** The dyno size given to `watchMemory` is unknown. */
export class UnknownDynoSizeError extends HerokuError {
  override name = 'UnknownDynoSizeError';
  readonly dynoSize: string;
  constructor(dynoSize: string, known: readonly string[]) {
    super('UNKNOWN_DYNO_SIZE', `Unknown dyno size "${dynoSize}"; expected one of ${known.join(', ')} or pass quotaMb.`);
    this.dynoSize = dynoSize;
  }
}

/** A one-off job was stopped by SIGTERM/SIGINT (the dyno manager, `heroku ps:stop`, Ctrl-C). */
export class JobTerminatedError extends HerokuError {
  override name = 'JobTerminatedError';
  readonly signal: string;
  constructor(signal: string) {
    super('JOB_TERMINATED', `The job received ${signal} and was asked to stop.`);
    this.signal = signal;
  }
}

/** `doctor` was pointed at a folder that does not exist. */
export class DoctorError extends HerokuError {
  override name = 'DoctorError';
  readonly dir: string;
  constructor(dir: string, cause: unknown) {
    super('DIR_NOT_FOUND', `Cannot read the folder ${dir}; pass the root of the repository you deploy.`, { cause });
    this.dir = dir;
  }
}
