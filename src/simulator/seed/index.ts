// Loads the built-in seed from the YAML files next to this module.
import { readYamlFile } from '../../config/cached-yaml.ts';
import type { SeedData } from './types.ts';

export type * from './types.ts';

function load(file: string): unknown {
  const url = new URL(`./${file}`, import.meta.url);
  try {
    return readYamlFile(url);
  } catch (err) {
    throw new Error(`Simulator seed file ${url.pathname} could not be read: ${(err as Error).message}`);
  }
}

/** A fresh copy of the built-in seed (callers may mutate it). */
export function loadDefaultSeed(): SeedData {
  const refs = load('reference-data.yaml') as Pick<SeedData, 'snomed' | 'postcodes' | 'codeSystems'>;
  const referrals = load('referrals.yaml') as Pick<SeedData, 'referrals' | 'adviceRequests'>;
  return {
    organisations: load('organisations.yaml') as SeedData['organisations'],
    users: load('users.yaml') as SeedData['users'],
    patients: load('patients.yaml') as SeedData['patients'],
    services: load('services.yaml') as SeedData['services'],
    referrals: referrals.referrals,
    adviceRequests: referrals.adviceRequests,
    snomed: refs.snomed,
    postcodes: refs.postcodes,
    codeSystems: refs.codeSystems,
    documents: load('documents.yaml') as SeedData['documents'],
  };
}
