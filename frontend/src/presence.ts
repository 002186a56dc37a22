// The presence socket: who else has this flow open, and saves announced by others.
// The server keeps nothing per heartbeat; a tab that stops sending them drops off the others' lists.

export type PresenceEvent =
  | { type: 'presence'; users: string[] }
  | { type: 'saved'; kind: string; name: string; revision: number; by: string | null };

const RETRY_MS = 5000;

/** The socket URL of one flow's presence, on the page's own host. */
export function presenceUrl(loc: { protocol: string; host: string }, assistant: string, flowId: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws/assistants/${encodeURIComponent(assistant)}/presence/flows/${encodeURIComponent(flowId)}`;
}

/** Connects (and reconnects after a drop, not after a refusal); returns a function that closes it for good. */
export function connectPresence(url: string, onEvent: (e: PresenceEvent) => void): () => void {
  let socket: WebSocket | null = null;
  let heartbeat = 0;
  let retry = 0;
  let closed = false;
  const open = () => {
    socket = new WebSocket(url);
    socket.onmessage = (m) => {
      const data = JSON.parse(String(m.data)) as { type: string; heartbeat?: number };
      if (data.type === 'hello') {
        window.clearInterval(heartbeat);
        heartbeat = window.setInterval(() => socket?.send(JSON.stringify({ type: 'heartbeat' })), (data.heartbeat ?? 20) * 1000);
      } else if (data.type === 'presence' || data.type === 'saved') onEvent(data as PresenceEvent);
    };
    socket.onclose = (e) => {
      window.clearInterval(heartbeat);
      // 44xx: refused (not logged in, no role): retrying would be refused again.
      if (!closed && (e.code < 4400 || e.code >= 4500)) retry = window.setTimeout(open, RETRY_MS);
    };
  };
  open();
  return () => { closed = true; window.clearTimeout(retry); window.clearInterval(heartbeat); socket?.close(); };
}
