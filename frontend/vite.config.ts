import { defineConfig } from 'vite';

// Built into the Django static dir with stable names (no hashes) so templates can reference them.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  base: './',
  build: {
    outDir: '../static/editor',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: 'src/main.tsx',
      output: {
        format: 'es',
        entryFileNames: 'editor.js',
        chunkFileNames: 'editor-[name].js',
        assetFileNames: (info) => (info.names?.[0]?.endsWith('.css') ? 'editor.css' : '[name][extname]'),
      },
    },
  },
});
