/** A choice of the four roles, by the names people know them by. */
import type { SelectHTMLAttributes } from 'react';
import { ROLE_NAMES, ROLES, type Role } from '../../../shared/roles.js';

interface RoleSelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  value: Role;
  onChange(role: Role): void;
}

export function RoleSelect({ value, onChange, ...select }: RoleSelectProps) {
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_NAMES[role]}
        </option>
      ))}
    </select>
  );
}
