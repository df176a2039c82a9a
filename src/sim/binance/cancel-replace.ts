import type { Order } from '../engine/types';
import type { EndpointContext } from './endpoint';
import { BinanceApiError, binanceErrors } from './errors';
import { canceledOrder, placedOrder } from './format';
import { generatedClientOrderId, parseNewOrder } from './order-request';
import { engineCall, orderRefParam } from './request-helpers';

const MODES = ['STOP_ON_FAILURE', 'ALLOW_FAILURE'] as const;

type Outcome = { ok: true; response: Record<string, unknown> } | { ok: false; error: BinanceApiError };

/**
 * POST /api/v3/order/cancelReplace (what ccxt's editOrder sends for spot): cancel one order, then
 * place a new one. Parameter errors refuse the whole request up front. Otherwise Binance reports
 * both halves: 200 when both succeed; 409 -2021 "partially failed" when one did; 400 -2022 when
 * neither did (or the cancel failed under STOP_ON_FAILURE, so no placement was attempted).
 */
export function handleCancelReplace(context: EndpointContext): Record<string, unknown> {
  const { params, sim, account } = context;
  const mode = params.requireOneOf('cancelReplaceMode', MODES, () =>
    binanceErrors.invalidParameterValue('cancelReplaceMode'),
  );
  const cancelRef = orderRefParam(params, 'cancel');
  const cancelClientOrderId = params.clientOrderId('cancelNewClientOrderId') ?? generatedClientOrderId();
  params.accept('cancelRestrictions', 'orderRateLimitExceededMode');
  const { request, responseType } = parseNewOrder(params, sim.exchange, account.id);
  params.assertAllRead();

  const cancel = attempt(() => {
    const order = sim.exchange.cancelOrder(account.id, request.symbol, cancelRef);
    return canceledOrder(order, cancelClientOrderId, sim.clock());
  });
  if (!cancel.ok && mode === 'STOP_ON_FAILURE') {
    throw replaceFailed(-2022, 'Order cancel-replace failed.', cancel, undefined);
  }
  let placed: Order | undefined;
  const placement = attempt(() => {
    const { order, fills } = sim.exchange.placeOrder(request);
    placed = order;
    return placedOrder(order, fills, responseType);
  });
  if (placed && context.logRecord) context.logRecord.order = placed;
  if (cancel.ok && placement.ok) {
    return {
      cancelResult: 'SUCCESS',
      newOrderResult: 'SUCCESS',
      cancelResponse: cancel.response,
      newOrderResponse: placement.response,
    };
  }
  if (!cancel.ok && !placement.ok)
    throw replaceFailed(-2022, 'Order cancel-replace failed.', cancel, placement);
  throw replaceFailed(-2021, 'Order cancel-replace partially failed.', cancel, placement);
}

function attempt(call: () => Record<string, unknown>): Outcome {
  try {
    return { ok: true, response: engineCall(call) };
  } catch (error) {
    if (error instanceof BinanceApiError) return { ok: false, error };
    throw error;
  }
}

function replaceFailed(
  code: -2021 | -2022,
  msg: string,
  cancel: Outcome,
  placement: Outcome | undefined,
): BinanceApiError {
  const half = (outcome: Outcome): unknown => (outcome.ok ? outcome.response : outcome.error.body());
  return new BinanceApiError(
    code === -2021 ? 409 : 400,
    code,
    msg,
    {},
    {
      cancelResult: cancel.ok ? 'SUCCESS' : 'FAILURE',
      newOrderResult: placement === undefined ? 'NOT_ATTEMPTED' : placement.ok ? 'SUCCESS' : 'FAILURE',
      cancelResponse: half(cancel),
      newOrderResponse: placement === undefined ? null : half(placement),
    },
  );
}
