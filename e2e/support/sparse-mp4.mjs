// Large MP4 originals for trimming, cheap on disk: a real clip whose mdat
// is padded after its samples to any size, written as a sparse file (the
// padding is a hole), with moov after the mdat as cameras write it. The
// sample offsets in moov stay right, so the file plays and trims like the
// clip, while the page must seek past hundreds of MB to find its header.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeSync, ftruncateSync } from 'node:fs';

/** Top-level boxes of an MP4 with 32-bit sizes: [type, offset, size]. */
function topBoxes(bytes) {
  const boxes = [];
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    assert.ok(size >= 8, `box ${type} has a 32-bit size`);
    boxes.push([type, at, size]);
    at += size;
  }
  return boxes;
}

/**
 * Writes `source` (ftyp, free, mdat, moov: ffmpeg without faststart) grown
 * to `size` bytes (under 4 GiB) at `path`, its mdat padded by a hole.
 */
export function paddedMdatMp4(source, path, size) {
  const bytes = readFileSync(source);
  const boxes = topBoxes(bytes);
  const [, mdatAt, mdatSize] = boxes.find(([type]) => type === 'mdat');
  const [, moovAt, moovSize] = boxes.find(([type]) => type === 'moov');
  assert.ok(moovAt > mdatAt, 'moov after mdat');
  assert.ok(size < 2 ** 32, 'a 32-bit mdat size');
  const grow = size - bytes.length;
  const head = Buffer.from(bytes.subarray(0, mdatAt + mdatSize));
  head.writeUInt32BE(mdatSize + grow, mdatAt);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head, 0, head.length, 0);
    writeSync(fd, bytes, moovAt, moovSize, mdatAt + mdatSize + grow);
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/** A 30 s moving pattern with a tone: H.264 (a keyframe every second) and AAC, 320×180. */
export const THIRTY_SECOND_CLIP = (faststart) => [
  '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=30',
  '-f', 'lavfi', '-i', 'sine=frequency=440:duration=30',
  '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0',
  '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
  ...(faststart ? ['-movflags', '+faststart'] : []),
];
