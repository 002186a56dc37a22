import { defineConfig } from 'vite';

// Built into the Django static dir with stable names (no hashes) so templates can reference them.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  base: './',
  build: {
    outDir: '../static/editor',
    emptyOutDir: true,
    sourcemap: false,
    // The ELK chunk is large but loaded only when someone picks the ELK layout.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      input: 'src/main.tsx',
      onwarn(warning, warn) {
        // React Flow ships a "use client" directive for server-component bundlers; meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        format: 'es',
        entryFileNames: 'editor.js',
        chunkFileNames: 'editor-[name].js',
        assetFileNames: (info) => (info.names?.[0]?.endsWith('.css') ? 'editor.css' : '[name][extname]'),
      },
    },
  },
});
