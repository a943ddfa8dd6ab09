// Ink's Output (ink/build/output.js, ink 6.8, MIT License, Copyright (c) Vadym Demedes and
// Sindre Sorhus), with one change: its caches live for the whole program instead of one frame.
//
// Why: Ink rebuilds every frame from scratch, tokenising every line of every text node and
// measuring every character. In a cockpit where a keypress moves one row, almost every line is the
// same as in the previous frame; keeping the tokenised lines and widths across frames (bounded)
// takes most of the cost of a keypress away. The build (scripts/build.mjs) substitutes this file
// for Ink's own; everything else is Ink's code as published.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';

/** A map that forgets everything when it grows too big: cheap, and frames refill it at once. */
class BoundedCache extends Map {
  constructor(limit) {
    super();
    this.limit = limit;
  }
  remember(key, value) {
    if (this.size >= this.limit) this.clear();
    this.set(key, value);
    return value;
  }
}

// A frame is ~50 lines; a few frames' worth is enough, and tokenised lines are big (an object per character).
const styledCharsCache = new BoundedCache(600);
const widthCache = new BoundedCache(20000);
const blockWidthCache = new BoundedCache(2000);
const rowStringCache = new BoundedCache(600);

const caches = {
  getStyledChars(line) {
    const cached = styledCharsCache.get(line);
    return cached !== undefined ? cached : styledCharsCache.remember(line, styledCharsFromTokens(tokenize(line)));
  },
  getStringWidth(text) {
    const cached = widthCache.get(text);
    return cached !== undefined ? cached : widthCache.remember(text, stringWidth(text));
  },
  getWidestLine(text) {
    const cached = blockWidthCache.get(text);
    if (cached !== undefined) return cached;
    let lineWidth = 0;
    for (const line of text.split('\n')) lineWidth = Math.max(lineWidth, caches.getStringWidth(line));
    return blockWidthCache.remember(text, lineWidth);
  },
};

export default class Output {
  width;
  height;
  operations = [];
  caches = caches;

  constructor(options) {
    const { width, height } = options;
    this.width = width;
    this.height = height;
  }

  write(x, y, text, options) {
    const { transformers } = options;
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers });
  }

  clip(clip) {
    this.operations.push({ type: 'clip', clip });
  }

  unclip() {
    this.operations.push({ type: 'unclip' });
  }

  get() {
    const blank = { type: 'char', value: ' ', fullWidth: false, styles: [] };
    const output = [];
    for (let y = 0; y < this.height; y++) output.push(new Array(this.width).fill(blank));
    const clips = [];
    // Rows drawn by exactly one unclipped, untransformed line starting at column 0 (most of a
    // table) come out as that line; their final string is cached across frames too.
    const soleLine = new Array(this.height).fill(undefined);
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type === 'write') {
        const { text, transformers } = operation;
        let { x, y } = operation;
        let lines = text.split('\n');
        const clip = clips.at(-1);
        if (clip) {
          const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
          const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
          if (clipHorizontally) {
            const width = this.caches.getWidestLine(text);
            if (x + width < clip.x1 || x > clip.x2) continue;
          }
          if (clipVertically) {
            const height = lines.length;
            if (y + height < clip.y1 || y > clip.y2) continue;
          }
          if (clipHorizontally) {
            lines = lines.map((line) => {
              const from = x < clip.x1 ? clip.x1 - x : 0;
              const width = this.caches.getStringWidth(line);
              const to = x + width > clip.x2 ? clip.x2 - x : width;
              return from === 0 && to === width ? line : sliceAnsi(line, from, to);
            });
            if (x < clip.x1) x = clip.x1;
          }
          if (clipVertically) {
            const from = y < clip.y1 ? clip.y1 - y : 0;
            const height = lines.length;
            const to = y + height > clip.y2 ? clip.y2 - y : height;
            lines = lines.slice(from, to);
            if (y < clip.y1) y = clip.y1;
          }
        }
        let offsetY = 0;
        for (let [index, line] of lines.entries()) {
          const currentLine = output[y + offsetY];
          if (!currentLine) continue;
          for (const transformer of transformers) line = transformer(line, index);
          const row = y + offsetY;
          soleLine[row] = soleLine[row] === undefined && x === 0 && !clip ? line : null;
          const characters = this.caches.getStyledChars(line);
          let offsetX = x;
          for (const character of characters) {
            currentLine[offsetX] = character;
            // Printed width by string-width, as the layout measured it.
            const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
            if (characterWidth > 1) {
              for (let index = 1; index < characterWidth; index++) {
                currentLine[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
              }
            }
            offsetX += characterWidth;
          }
          offsetY++;
        }
      }
    }
    const generatedOutput = output
      .map((line, row) => {
        const sole = soleLine[row];
        const cells = () => line.filter((item) => item !== undefined);
        if (typeof sole !== 'string' || this.caches.getStringWidth(sole) > this.width)
          return styledCharsToString(cells()).trimEnd();
        const cached = rowStringCache.get(sole);
        return cached !== undefined ? cached : rowStringCache.remember(sole, styledCharsToString(cells()).trimEnd());
      })
      .join('\n');
    return { output: generatedOutput, height: output.length };
  }
}
