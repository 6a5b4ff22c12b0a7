/**
 * Demo directory content for the twin: a few named employees (1234567 among them) and, on request,
 * synthetic ones for load tests (IDs 9000000.., emails e<ID>@example.com).
 *
 * Recovery channels (where codes go, lambdas/domain/recovery-channel.ts): the named employees have a
 * mobile (+1555901xxxx) and a personal e-mail (@personal.example.net), except Sam (e-mail only) and
 * Casey (none: the caller hears the same prompts, nothing is sent, an agent is offered). Synthetic
 * employees have the mobile +1555900xxxx, xxxx the last four digits of the ID, and r<ID>@personal.example.net.
 */
import type { EmployeeItem } from '../../lambdas/domain/employee';

export const DEMO_EMPLOYEES: readonly EmployeeItem[] = [
  {
    employeeId: '1234567',
    name: 'Alex Rivera',
    email: 'alex.rivera@example.com',
    phone: '+15555550100',
    mobile: '+15559011234',
    recoveryEmail: 'alex.rivera@personal.example.net',
    locale: 'en-US',
    status: 'ACTIVE',
  },
  {
    employeeId: '2345678',
    name: 'María García',
    email: 'maria.garcia@example.com',
    phone: '+15555550101',
    mobile: '+15559012345',
    recoveryEmail: 'maria.garcia@personal.example.net',
    locale: 'es-US',
    status: 'ACTIVE',
  },
  {
    employeeId: '3456789',
    name: 'Sam Chen',
    email: 'sam.chen@example.com',
    phone: '+15555550102',
    recoveryEmail: 'sam.chen@personal.example.net',
    locale: 'en-US',
    status: 'ACTIVE',
  },
  {
    employeeId: '4567890',
    name: 'Jordan Blake',
    email: 'jordan.blake@example.com',
    phone: '+15555550103',
    mobile: '+15559014567',
    recoveryEmail: 'jordan.blake@personal.example.net',
    locale: 'en-US',
    status: 'DISABLED',
  },
  {
    employeeId: '5678901',
    name: 'Priya Patel',
    email: 'priya.patel@example.com',
    phone: '+15555550104',
    mobile: '+15559015678',
    recoveryEmail: 'priya.patel@personal.example.net',
    locale: 'en-US',
    status: 'ACTIVE',
  },
  {
    employeeId: '6789012',
    name: 'Casey Nguyen',
    email: 'casey.nguyen@example.com',
    phone: '+15555550105',
    locale: 'en-US',
    status: 'ACTIVE',
  },
];

export const SYNTHETIC_EMPLOYEE_BASE = 9000000;

export function syntheticEmployee(index: number): EmployeeItem {
  const employeeId = String(SYNTHETIC_EMPLOYEE_BASE + index);
  return {
    employeeId,
    name: `Employee ${employeeId}`,
    email: `e${employeeId}@example.com`,
    phone: `+1555${String(index).padStart(7, '0')}`,
    mobile: `+1555900${employeeId.slice(-4)}`,
    recoveryEmail: `r${employeeId}@personal.example.net`,
    locale: 'en-US',
    status: 'ACTIVE',
  };
}
