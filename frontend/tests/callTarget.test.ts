import { describe, expect, it } from 'vitest';
import { CALL_LABELS, callTargetKind } from '../src/lib/callTarget';

describe('call step targets', () => {
  const flows = ['check_balance', 'transfer'];

  it('is a flow when the assistant has a flow by that id', () => {
    expect(callTargetKind({ call: 'check_balance' }, flows)).toBe('flow');
  });

  it('is a flow while no target is chosen', () => {
    expect(callTargetKind({ call: '' }, flows)).toBe('flow');
  });

  it('is an external agent when no flow has that id', () => {
    expect(callTargetKind({ call: 'stock_explorer' }, flows)).toBe('agent');
    expect(CALL_LABELS.agent).toBe('Call sub-agent');
  });

  it('is an MCP tool when the step names a server', () => {
    expect(callTargetKind({ call: 'place_order', mcp_server: 'trade', mapping: { input: [], output: [] } }, flows))
      .toBe('mcp_tool');
  });
});
