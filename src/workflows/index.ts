/** Every workflow type the worker registers (task queue `execution`). */
export { orderWorkflow } from './order-workflow';
export { venueStatusWorkflow } from './venue-status-workflow';
export { tcaDayWorkflow, tcaWorkflow } from './tca-workflow';
export {
  icebergWorkflow,
  implementationShortfallWorkflow,
  povWorkflow,
  smartRouteWorkflow,
  twapWorkflow,
  vwapWorkflow,
} from './parent-workflows';
export { autoOrderWorkflow } from './auto-order-workflow';
export { tradingControlWorkflow } from './trading-control-workflow';
export { rebalanceWorkflow } from './rebalance-workflow';
export { reconciliationWorkflow } from './reconciliation-workflow';
export { executionMonitorWorkflow } from './monitor-workflow';
