import { createContext, useContext } from 'react';
import { indexDescriptors, type DescriptorIndex } from './catalog';

const builtIn = indexDescriptors();

/** Activity descriptors for the node components (server list in the designer, built-in copy elsewhere). */
export const DescriptorsContext = createContext<DescriptorIndex>(builtIn);

export function useDescriptors(): DescriptorIndex {
  return useContext(DescriptorsContext);
}
