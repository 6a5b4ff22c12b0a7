/**
 * Demo directory content for the twin: a few named employees (1234567 among them) and, on request,
 * synthetic ones for load tests (IDs 9000000.., emails e<ID>@example.com).
 */
import type { EmployeeItem } from '../../lambdas/domain/employee';

export const DEMO_EMPLOYEES: readonly EmployeeItem[] = [
  {
    employeeId: '1234567',
    name: 'Alex Rivera',
    email: 'alex.rivera@example.com',
    phone: '+15555550100',
    locale: 'en-US',
    status: 'ACTIVE',
  },
  {
    employeeId: '2345678',
    name: 'María García',
    email: 'maria.garcia@example.com',
    phone: '+15555550101',
    locale: 'es-US',
    status: 'ACTIVE',
  },
  { employeeId: '3456789', name: 'Sam Chen', email: 'sam.chen@example.com', phone: '+15555550102', locale: 'en-US', status: 'ACTIVE' },
  {
    employeeId: '4567890',
    name: 'Jordan Blake',
    email: 'jordan.blake@example.com',
    phone: '+15555550103',
    locale: 'en-US',
    status: 'DISABLED',
  },
  {
    employeeId: '5678901',
    name: 'Priya Patel',
    email: 'priya.patel@example.com',
    phone: '+15555550104',
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
    locale: 'en-US',
    status: 'ACTIVE',
  };
}
