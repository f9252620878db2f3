/** The LLM planner: what the surfaces (MCP tool, REST, CLI) and the runtime import. */
export { Planner, type PlannerOptions, type PlanOptions, type PlanOutcome, type PlannedRun, type PlannedRunOptions, type PlanCacheStore } from './planner.js';
export { createPlannerModel, type PlannerModel, type ModelFactoryOptions } from './language-model.js';
export { aggregatePlannerCatalog, plannerCatalog, catalogVersion, type PlannerCatalog, type PlannerTool } from './planner-catalog.js';
export { PlannerError, PLANNER_ERROR_CODES, type PlannerErrorCode } from './planner-error.js';
export type { TokenUsage } from './model-call.js';
export type { FinalPlan } from './plan-check.js';
export { PLAN_TOOL_NAME, planToolDefinition, planToolAnswer, type PlanToolAnswer } from './plan-tool.js';
