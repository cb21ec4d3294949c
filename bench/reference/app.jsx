// The page a person might otherwise build: React 19 + fal's official client,
// one prompt field, Generate, a video element. Bundled by scripts/bench with
// esbuild (minified) as the yardstick for size and job-following figures.
// `?runs=N` makes Generate send N jobs at once (N `fal.subscribe` calls in
// parallel), the way a page without batches would run a batch.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { fal } from '@fal-ai/client';

fal.config({ proxyUrl: './api/fal/proxy' });
const runs = Math.min(16, Math.max(1, Number(new URLSearchParams(location.search).get('runs')) || 1));
window.__completedRuns = 0;

function App() {
  const [prompt, setPrompt] = useState('');
  const [status, setStatus] = useState('');
  const [video, setVideo] = useState(null);
  async function generate() {
    setStatus('Submitting…');
    const one = async () => {
      const result = await fal.subscribe('fal-ai/wan/v2.7/reference-to-video', {
        input: { prompt },
        logs: true,
        onQueueUpdate: (update) => setStatus(update.status),
      });
      window.__completedRuns += 1;
      return result;
    };
    const [result] = await Promise.all(Array.from({ length: runs }, one));
    window.__completedAt = performance.now();
    setVideo(result.data.video.url);
  }
  return (
    <main>
      <label htmlFor="prompt">Prompt</label>
      <textarea id="prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} />
      <button onClick={generate}>Generate</button>
      <p>{status}</p>
      {video && <video id="result" src={video} controls playsInline autoPlay muted />}
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
