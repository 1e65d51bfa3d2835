import { StampedeError } from '../core/index.ts';
import type { Store, StoreConfig } from './store.ts';

export async function openStore(config: StoreConfig): Promise<Store> {
  throw new StampedeError('STAMPEDE_ERR_INTERNAL', `store not implemented yet (dataDir ${config.dataDir})`);
}
