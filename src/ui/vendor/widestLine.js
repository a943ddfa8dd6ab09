// widest-line (MIT, Sindre Sorhus) as Ink calls it for every text node of every frame, with a
// bounded cache and a fast path for printable ASCII: the same lines come back frame after frame,
// and string-width's grapheme segmentation is the single largest cost of a cockpit keypress.
import stringWidth from 'string-width';

const ASCII = /^[\x20-\x7e]*$/;
const cache = new Map();

function width(line) {
  if (ASCII.test(line)) return line.length;
  let w = cache.get(line);
  if (w === undefined) {
    if (cache.size > 20000) cache.clear();
    w = stringWidth(line);
    cache.set(line, w);
  }
  return w;
}

export default function widestLine(string) {
  let lineWidth = 0;
  for (const line of string.split('\n')) lineWidth = Math.max(lineWidth, width(line));
  return lineWidth;
}
