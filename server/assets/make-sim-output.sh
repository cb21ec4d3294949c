#!/usr/bin/env bash
# Regenerates sim-output.mp4, the video every simulated job "produces".
# Committed so the server needs no ffmpeg at run time; the figures in
# src/simulator/output.rs (size, frames, fps) must match what this makes.
# H.264 main profile + yuv420p + faststart: what Debian's Chromium plays and
# what fal's Wan outputs are (video/mp4).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x360:rate=24:duration=4" \
  -vf "drawtext=text='SIMULATED - no real video':fontcolor=white:fontsize=28:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=h-60" \
  -c:v libx264 -profile:v main -pix_fmt yuv420p -crf 30 -preset slow -an \
  -movflags +faststart sim-output.mp4
ls -l sim-output.mp4
