/**
 * For SREs: recent workflow executions with status and duration, and one execution's state-by-state
 * timeline with durations — names and times only, no execution data (as AWS keeps for Express).
 */
import type { ExecutionRecord, StepFunctionsService } from '../stepfunctions/step-functions-service';
import { HttpError, type ApiRouter } from './api-router';

export function registerWorkflowsApi(router: ApiRouter, service: StepFunctionsService): void {
  router.on('GET', '/api/executions', (req) => {
    const machine = req.query.get('machine');
    const limit = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? 100) || 100));
    const machines = service.listStateMachines().filter((m) => !machine || m.name === machine);
    const executions = machines
      .flatMap((m) => service.listExecutions(m.arn).map((e) => ({ ...e, machine: m.name })))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .slice(0, limit)
      .map((e) => ({ ...executionSummary(e), stateMachine: e.machine, name: e.name }));
    return { body: { stateMachines: service.listStateMachines().map((m) => ({ name: m.name, type: m.type })), executions } };
  });

  router.on('GET', '/api/executions/timeline', (req) => {
    const arn = req.query.get('arn');
    if (!arn) throw new HttpError(400, 'arn is required');
    let execution: ReturnType<typeof service.describeExecution>;
    try {
      execution = service.describeExecution(arn);
    } catch {
      throw new HttpError(404, `no execution ${arn}`);
    }
    const states: Array<{
      name: string;
      type: string;
      enteredAt: string;
      exitedAt: string | null;
      durationMs: number | null;
      error: string | null;
    }> = [];
    const open = new Map<string, (typeof states)[number]>();
    for (const event of execution.history) {
      const type = event.type ?? '';
      if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name && !event.stateEnteredEventDetails.name.includes(' (')) {
        const state = {
          name: event.stateEnteredEventDetails.name,
          type: type.replace('StateEntered', ''),
          enteredAt: event.timestamp!.toISOString(),
          exitedAt: null,
          durationMs: null,
          error: null,
        };
        states.push(state);
        open.set(state.name, state);
      } else if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
        const state = open.get(event.stateExitedEventDetails.name);
        if (state) {
          state.exitedAt = event.timestamp!.toISOString();
          state.durationMs = event.timestamp!.getTime() - Date.parse(state.enteredAt);
          open.delete(state.name);
        }
      } else if (type === 'TaskFailed' && event.taskFailedEventDetails?.resource) {
        const state = open.get(event.taskFailedEventDetails.resource);
        if (state) state.error = event.taskFailedEventDetails.error ?? 'failed';
      }
    }
    return {
      body: { ...executionSummary(execution), states },
    };
  });
}

/** What the console shows of any execution: outcome and timing. */
function executionSummary(e: Pick<ExecutionRecord, 'executionArn' | 'status' | 'startDate' | 'stopDate' | 'error'>) {
  return {
    executionArn: e.executionArn,
    status: e.status,
    startDate: e.startDate.toISOString(),
    stopDate: e.stopDate?.toISOString() ?? null,
    durationMs: e.stopDate ? e.stopDate.getTime() - e.startDate.getTime() : null,
    error: e.error ?? null,
  };
}
