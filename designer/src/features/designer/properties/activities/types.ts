import type { ActivityInputDescriptor, ActivityNode } from '../../../../shared/flow';
import type { PanelContext, SetInput } from '../inputs/types';

/** A panel for an activity type whose inputs need more than one editor each (a choice between inputs, a toggle). */
export interface ActivityPanelProps {
  activity: ActivityNode;
  inputs: readonly ActivityInputDescriptor[];
  context: PanelContext;
  set: SetInput;
}
