/**
 * `runs.create` and `runs.dryRun` with a `request`: the LLM planner plans over the tools the
 * caller's key may call (names as `<server>__<tool>`), and the run is recorded as the key's. Nobody
 * can be asked for approval here: a plan with tools that need it is refused, naming them, and what
 * it had started before the plan was complete (reads only) is cancelled. Planner errors become the
 * API's codes.
 */
import type { z } from 'zod';
import type { planPreviewSchema } from '../../../shared/api/operations/runs.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { toolFilter } from '../auth/permissions.js';
import { visibleTools } from '../batch/tool-catalog.js';
import { aggregatePlannerCatalog } from '../planner/planner-catalog.js';
import { PlannerError, type PlannerErrorCode } from '../planner/planner-error.js';
import { plannerErrorView } from '../planner/planner-service.js';
import { serverTools } from '../supervisor/call-tool.js';
import { callerPeer } from './caller-peer.js';
import type { OperationCall, OperationDeps } from './deps.js';
import { OperationError } from './operation-error.js';

type Deps = Pick<OperationDeps, 'planner' | 'batch' | 'view' | 'supervisor'>;

/** The API's code for each planner failure. */
const API_CODE: Record<PlannerErrorCode, ErrorCode> = {
  not_configured: 'invalid_config',
  missing_credential: 'invalid_config',
  invalid_plan: 'bad_request',
  no_plan: 'bad_request',
  rate_limited: 'rate_limited',
  unauthorized: 'server_unavailable',
  provider_error: 'server_unavailable',
  bad_response: 'server_unavailable',
  stream_cut: 'server_unavailable',
  timeout: 'timeout',
  cancelled: 'cancelled',
};

/** The refusal of a REST run whose tools need approval: nobody can be asked for it here (audited with the tools). */
export function needsApprovalRefusal(tools: string[], call: OperationCall): OperationError {
  call.audit.details = { needsApproval: tools };
  return new OperationError(
    'forbidden',
    `the run was not started: these tools need approval, and a run made through the REST API cannot ask for it: ${tools.join(', ')}. ` +
      'Add them to their server\'s "autoApprove", or set "orch.batch.approveAll".',
    { needsApproval: tools },
  );
}

/** A planner failure as an API error (its own code in `details.plannerError`); anything else as it is. */
export function apiErrorOf(error: unknown): unknown {
  if (!(error instanceof PlannerError)) return error;
  const { code, message: _message, ...rest } = plannerErrorView(error);
  return new OperationError(API_CODE[code as PlannerErrorCode], error.message, { plannerError: code, ...rest });
}

function contextOf(deps: Deps, call: OperationCall) {
  return {
    catalog: aggregatePlannerCatalog(visibleTools(deps.view.tools, toolFilter(call.principal))),
    tools: serverTools((name) => deps.supervisor.get(name)),
  };
}

/**
 * Plans and starts `request` as the caller; resolves with the run id once the plan is complete
 * and the run recorded (its first tasks may be running). Throws `OperationError`.
 */
export async function startPlannedRun(deps: Deps, request: string, call: OperationCall): Promise<string> {
  const { catalog, tools } = contextOf(deps, call);
  let started;
  try {
    started = await deps.planner.start({
      request,
      catalog,
      tools,
      peer: callerPeer(call),
      caller: { keyId: call.principal.keyId, keyName: call.principal.name },
      source: 'api',
      // The caller going away stops the planning; once the run is recorded it goes on without them.
      planningSignal: call.signal,
    });
  } catch (error) {
    throw apiErrorOf(error);
  }
  const runId = await started.planned;
  if (runId !== undefined) {
    call.audit.target = runId;
    return runId;
  }
  const outcome = await started.done;
  if (outcome.kind === 'refused') {
    throw needsApprovalRefusal(outcome.needsApproval, call);
  }
  if (outcome.kind === 'failed') throw apiErrorOf(outcome.error);
  return outcome.runId;
}

/** Plans `request` without running it: the plan, its waves, the tools that would need approval, the planning figures. */
export async function previewPlannedRun(deps: Deps, request: string, call: OperationCall): Promise<z.input<typeof planPreviewSchema>> {
  const { catalog, tools } = contextOf(deps, call);
  let outcome;
  try {
    outcome = await deps.planner.plan(request, catalog, call.signal);
  } catch (error) {
    throw apiErrorOf(error);
  }
  return {
    valid: true,
    plan: outcome.plan,
    waves: outcome.waves,
    problems: [],
    needsApproval: deps.batch.needsApproval(outcome.graph, tools),
    planning: {
      planningMs: outcome.planningMs,
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      cacheHit: outcome.cacheHit,
    },
    ...(outcome.notes.length > 0 ? { notes: outcome.notes } : {}),
  };
}
