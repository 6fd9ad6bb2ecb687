import { e as extractFullText } from './full-text-e714e653.js';

interface ExtractJob {
    id: number;
    body: Uint8Array;
    contentType?: string;
    url: string;
}
type ExtractReply = {
    ready: true;
} | {
    id: number;
    ok: true;
    article: ReturnType<typeof extractFullText>;
} | {
    id: number;
    ok: false;
    code: string;
    message: string;
};

export type { ExtractJob, ExtractReply };
