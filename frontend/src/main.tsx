import '@xyflow/react/dist/style.css';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { EditorConfig } from './api';
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
  };
  createRoot(root).render(<App cfg={cfg} />);
}

boot();
