/**
 * Counts the rows of a node list's JSON as its bytes arrive, without keeping or parsing them, so
 * a list with too many rows is refused while it streams (`limits.max_backends`). The rows are the
 * objects or arrays inside the first array the body opens: the bare array StarRocks sends, or
 * the `data` array of Doris' envelope. Only ASCII bytes are structural in JSON, and every byte of
 * a multi-byte UTF-8 character is above 0x7F, so bytes are scanned without decoding.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

export class JsonRowCounter {
  #rows = 0;
  #depth = 0;
  /** The depth of the rows array once it has opened; 0 before. */
  #rowsDepth = 0;
  /** The rows array has closed: nothing after it is a row. */
  #done = false;
  #inString = false;
  #escaped = false;

  /** Reads the next bytes of the body; answers the rows counted so far. */
  feed(chunk: Uint8Array): number {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) this.#inString = false;
      } else if (byte === QUOTE) {
        this.#inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        this.#depth++;
        if (this.#rowsDepth === 0 && byte === OPEN_ARRAY) this.#rowsDepth = this.#depth;
        else if (this.#rowsDepth !== 0 && !this.#done && this.#depth === this.#rowsDepth + 1) this.#rows++;
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        if (this.#depth === this.#rowsDepth) this.#done = true;
        this.#depth--;
      }
    }
    return this.#rows;
  }
}
