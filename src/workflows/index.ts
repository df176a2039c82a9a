/** Every workflow type the worker registers (task queue `execution`). */
export { orderWorkflow } from './order-workflow';
export { venueStatusWorkflow } from './venue-status-workflow';
