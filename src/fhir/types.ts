// Shared types of the validator: the public finding shape and the compact compiled model.

export type FhirVersion = 'STU3' | 'R4';
export type Severity = 'error' | 'warning' | 'information';

export interface Finding {
  severity: Severity;
  rule: string;
  path: string;
  message: string;
  profile?: string;
  suppressedBy?: string;
}

export interface CType {
  code: string;
  profiles?: string[];
  targets?: string[];
}

export type BindingStrength = 'required' | 'extensible' | 'preferred' | 'example';

export interface CBinding {
  strength: BindingStrength;
  valueSet?: string;
}

export interface CConstraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  bestPractice?: boolean;
}

export interface CDiscriminator {
  type: 'value' | 'pattern' | 'exists' | 'type' | 'profile';
  path: string;
}

export interface CSlicing {
  discriminators: CDiscriminator[];
  rules: 'open' | 'closed' | 'openAtEnd';
  ordered: boolean;
}

/** One element of a snapshot, as a tree (children nested under their parent path). */
export interface CElement {
  path: string;
  /** JSON-facing name: last path segment, e.g. `value[x]` or `valueQuantity`. */
  name: string;
  min: number;
  /** -1 means unbounded. */
  max: number;
  /** True when the JSON form is an array (base max is not 1). */
  array: boolean;
  types: CType[];
  children?: CElement[];
  contentRef?: string;
  binding?: CBinding;
  fixed?: unknown;
  pattern?: unknown;
  constraints?: CConstraint[];
  slicing?: CSlicing;
  slices?: CElement[];
  sliceName?: string;
}

export interface CStructure {
  url: string;
  version?: string;
  name: string;
  type: string;
  kind: string;
  derivation?: string;
  baseDefinition?: string;
  fhirVersion: FhirVersion;
  abstract: boolean;
  root: CElement;
  /** Primitive types only: JSON type and regex of the value. */
  primitive?: { json: 'string' | 'number' | 'boolean'; regex?: string };
}

/** A value set reduced to what a membership check needs; `codes` holds `system|code`. */
export interface CValueSet {
  url: string;
  enumerable: boolean;
  reason?: string;
  codes: string[];
}
