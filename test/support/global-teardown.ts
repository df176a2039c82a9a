/** Jest globalTeardown of the `temporal` project: stops what global-setup.ts started. */
import { stopServices } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopServices();
}
