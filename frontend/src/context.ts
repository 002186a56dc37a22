import { createContext, useContext } from 'react';
import type { Api, Catalog, EditorConfig } from './api';
import type { InsertPoint } from './lib/types';
import type { Store } from './store/store';

export interface EditorContextValue {
  cfg: EditorConfig;
  api: Api;
  store: Store;
  catalog: Catalog;
  refreshCatalog: () => Promise<void>;
  openFlow: (flowId: string) => void;
  openInsertMenu: (at: InsertPoint, x: number, y: number) => void;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const ctx = useContext(EditorContext);
  if (!ctx) throw new Error('editor context missing');
  return ctx;
}
