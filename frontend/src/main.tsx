import '@xyflow/react/dist/style.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { EditorConfig, makeApi } from './api';
import './editor.css';

function boot(): void {
  const root = document.getElementById('flow-editor');
  if (!root) return;
  const d = root.dataset;
  const cfg: EditorConfig = {
    apiBase: d.apiBase ?? '',
    assistant: d.assistant ?? '',
    flowId: d.flowId ?? '',
    readOnly: d.readOnly === 'true',
    csrf: d.csrf ?? '',
    flowUrlTemplate: d.flowUrlTemplate ?? '',
    canCreateSlots: d.canCreateSlots === 'true',
    canCreateActions: d.canCreateActions === 'true',
    resetUrl: d.resetUrl ?? '',
  };
  const api = makeApi(cfg);
  const preload = { flow: api.getFlow(), catalog: api.catalog() };
  // Errors surface where the app awaits these; this only keeps them from being reported as unhandled first.
  preload.flow.catch(() => undefined);
  preload.catalog.catch(() => undefined);
  createRoot(root).render(<App cfg={cfg} preload={preload} />);
}

boot();
