// The allowlist: which HTML elements survive, what they become, and which content model they impose.
// Content models matter because epubcheck validates XHTML against HTML5's: a <div> inside a <span>
// is an error there, so elements are renamed or unwrapped to keep every page valid by construction.

/** Elements removed with everything inside them. */
export const DROP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'object',
  'embed',
  'applet',
  'param',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'label',
  'fieldset',
  'legend',
  'datalist',
  'output',
  'progress',
  'meter',
  'canvas',
  'svg',
  'math',
  'map',
  'area',
  'frame',
  'frameset',
  'noframes',
  'dialog',
  'menu',
  'nav',
  'colgroup',
  'col',
  'source',
  'track',
  'slot',
  'portal',
  'rp',
]);

/** Block containers, all written as <div>. */
export const CONTAINERS = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'main',
  'center',
  'address',
  'hgroup',
  'details',
  'summary',
  'dl',
]);

/** Phrasing elements kept under their own name (or renamed), whose content is phrasing only. */
export const PHRASING: Record<string, string> = {
  span: 'span',
  em: 'em',
  strong: 'strong',
  b: 'b',
  i: 'i',
  u: 'u',
  s: 's',
  small: 'small',
  mark: 'mark',
  abbr: 'abbr',
  cite: 'cite',
  q: 'q',
  code: 'code',
  kbd: 'kbd',
  samp: 'samp',
  var: 'var',
  sub: 'sub',
  sup: 'sup',
  dfn: 'dfn',
  bdi: 'bdi',
  font: 'span',
  big: 'span',
  tt: 'code',
  strike: 's',
  acronym: 'abbr',
  time: 'span',
  del: 'del',
  ins: 'ins',
  data: 'span',
  nobr: 'span',
  blink: 'span',
  marquee: 'span',
};

/** Blocks whose content is phrasing only. */
export const PHRASING_BLOCKS: Record<string, string> = {
  p: 'p',
  h1: 'h1',
  h2: 'h2',
  h3: 'h3',
  h4: 'h4',
  h5: 'h5',
  h6: 'h6',
  pre: 'pre',
  dt: 'p',
  caption: 'caption',
};

/** Blocks whose content is flow. */
export const FLOW_BLOCKS: Record<string, string> = {
  blockquote: 'blockquote',
  figure: 'figure',
  dd: 'blockquote',
  li: 'li',
  td: 'td',
  th: 'th',
};

export const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption']);

/** What may sit directly inside each structural element; anything else is dropped. */
export const STRUCTURE: Record<string, Set<string>> = {
  table: new Set(['caption', 'thead', 'tbody', 'tfoot', 'tr']),
  thead: new Set(['tr']),
  tbody: new Set(['tr']),
  tfoot: new Set(['tr']),
  tr: new Set(['td', 'th']),
};

/** Hosts whose iframes are video players: the embed becomes a link to the video. */
export const VIDEO_HOSTS =
  /(^|\.)(youtube\.com|youtube-nocookie\.com|youtu\.be|vimeo\.com|dailymotion\.com|twitch\.tv|tiktok\.com|facebook\.com|bilibili\.com|rumble\.com|ted\.com|streamable\.com|wistia\.(com|net)|brightcove\.net|jwplayer\.com)$/i;

export const MAX_DEPTH = 40;
export const MAX_ATTR = 1000;
export const MAX_URL = 2000;
