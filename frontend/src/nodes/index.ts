import type { NodeTypes } from '@xyflow/react';
import { ActionNode } from './ActionNode';
import { CollectNode } from './CollectNode';
import { CallNode, LinkNode } from './FlowRefNode';
import { LogicNode } from './LogicNode';
import { SetSlotsNode } from './SetSlotsNode';
import { EndNode, StartNode } from './StartEndNodes';

export const nodeTypes: NodeTypes = {
  collect: CollectNode,
  action: ActionNode,
  set_slots: SetSlotsNode,
  link: LinkNode,
  call: CallNode,
  noop: LogicNode,
  start: StartNode,
  end: EndNode,
};
