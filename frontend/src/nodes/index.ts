import type { NodeProps, NodeTypes } from '@xyflow/react';
import { ComponentType, memo } from 'react';
import { ActionNode } from './ActionNode';
import { CollectNode } from './CollectNode';
import { CallNode, LinkNode } from './FlowRefNode';
import { LogicNode } from './LogicNode';
import { SetSlotsNode } from './SetSlotsNode';
import { EndNode, StartNode } from './StartEndNodes';

// A node's content depends on its data only; moving it (an insert above shifts every later node)
// must not re-render what is inside it.
const contentOnly = (c: ComponentType<NodeProps>) =>
  memo(c, (a: NodeProps, b: NodeProps) => a.data === b.data && a.selected === b.selected);

export const nodeTypes: NodeTypes = {
  collect: contentOnly(CollectNode),
  action: contentOnly(ActionNode),
  set_slots: contentOnly(SetSlotsNode),
  link: contentOnly(LinkNode),
  call: contentOnly(CallNode),
  noop: contentOnly(LogicNode),
  start: contentOnly(StartNode),
  end: contentOnly(EndNode),
};
