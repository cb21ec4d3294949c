// The media files the e2e tests pick, drop, upload and link: real PNG, GIF
// and H.264 MP4 files made by ffmpeg. Each is made the first time a test
// asks for it and kept under target/e2e-media/, in a folder named by its
// recipe, so a run of every e2e file makes each file once (and the next run
// reuses it) while the name a test shows on screen stays its own.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

export const MEDIA = join(ROOT, 'target', 'e2e-media');

/**
 * The file `name` that `make(path)` writes, made once: kept at
 * target/e2e-media/<recipe hash>/<name>. It is written under a temporary
 * name and renamed into place, so an interrupted run or a second test file
 * making it at the same time never leaves half a file behind.
 */
function cached(name, recipe, make) {
  const key = createHash('sha256').update(JSON.stringify([name, recipe])).digest('hex').slice(0, 16);
  const path = join(MEDIA, key, name);
  if (existsSync(path)) return path;
  const scratch = join(MEDIA, key, `.making-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  try {
    make(join(scratch, name));
    renameSync(join(scratch, name), path);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return path;
}

/** The file `name` written by `ffmpeg -v error -y <args> <name>`. */
export function ffmpegFile(name, args) {
  return cached(name, ['ffmpeg', ...args], (path) => {
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, path]);
  });
}

/** A still PNG of ffmpeg's test pattern. */
export function stillImage(name = 'cat.png', size = '320x240') {
  return ffmpegFile(name, ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`, '-frames:v', '1']);
}

/** A moving test pattern as an H.264 MP4 (yuv420p, index first), what browsers play. */
export function h264Clip(name = 'clip.mp4', { size = '320x180', seconds = 3.2 } = {}) {
  return ffmpegFile(name, [
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
  ]);
}

/**
 * A real MP4 grown to `size` bytes with a trailing `free` box: MP4's own
 * padding, which players skip, so the browser still reads its length.
 */
export function paddedMp4(source, name, size) {
  return cached(name, ['padded', source, size], (path) => {
    const video = readFileSync(source);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(size - video.length, 0);
    header.write('free', 4, 'latin1');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, video, 0, video.length, 0);
      writeSync(fd, header, 0, 8, video.length);
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
  });
}
