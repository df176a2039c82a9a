/** A Temporal client for Ordo's namespace, from the same environment variables as the worker. */
import { Client, Connection } from '@temporalio/client';
import { temporalCredentials } from './temporal-connection';

export interface ClientEnvironment {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function clientEnvironment(env: NodeJS.ProcessEnv = process.env): ClientEnvironment {
  return {
    address: env['TEMPORAL_ADDRESS'] ?? 'localhost:7233',
    namespace: env['TEMPORAL_NAMESPACE'] ?? 'default',
    taskQueue: env['ORDO_TASK_QUEUE'] ?? 'execution',
  };
}

export async function connectClient(env: ClientEnvironment = clientEnvironment()): Promise<Client> {
  const connection = await Connection.connect({ address: env.address, ...temporalCredentials() });
  return new Client({ connection, namespace: env.namespace });
}
