export { ChasePanel } from './ChasePanel';
export { ExtensionPanel, TaskExtensionShortcut } from './ExtensionPanel';
export { ItemDeadline } from '../../shared/deadline/ItemDeadline';
export { ReadsPanel } from './ReadsPanel';
export { readsOf } from './supervision';
