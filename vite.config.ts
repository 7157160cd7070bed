import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

// As the Spanscope server sends them (server/app.ts): cross-origin isolation lets the file reader write
// straight into the parsing worker's memory.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
// DNS rebinding: Vite answers only localhost, *.localhost and IPs (403 otherwise), plus these names, the
// same SPANSCOPE_ALLOWED_HOSTS that `spanscope serve` reads (server/host-check.ts). Never `true`.
const allowedHosts = (process.env.SPANSCOPE_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');

export default defineConfig({
  plugins: [react(), tailwindcss()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8080), headers: isolation, allowedHosts },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 8080), headers: isolation, allowedHosts },
  // Source maps only when asked for (SPANSCOPE_SOURCEMAPS=1): a production build does not ship its sources.
  build: { target: 'es2022', sourcemap: process.env.SPANSCOPE_SOURCEMAPS === '1' },
});
