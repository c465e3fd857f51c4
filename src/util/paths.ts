import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The package root, whether running from src/ (tsx, vitest) or dist/ (the bin). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const schemasDir = resolve(packageRoot, 'schemas');
export const contentDir = resolve(packageRoot, 'content');
