/**
 * Function calls that belong to the operators rather than to the scalar library (functions.ts): window
 * functions of serialized rows, and calls of user-defined functions. expr.ts asks here first; undefined
 * hands the call on to functions.ts.
 */
import type { Env, Sql } from './context.js';
import type { KNode } from './kusto.js';
import { inlineCall, userFunction } from './op-userfn.js';
import { windowCall } from './op-window.js';

export function operatorFunction(node: KNode, env: Env): Sql | undefined {
  const nameNode = node.node('Name');
  if (nameNode?.symbol?.kind !== 'Function') return undefined;
  const decl = userFunction(node, env.c);
  if (decl) {
    if (node.type?.tabular) return env.c.fail(node, 'tabular function used as a scalar');
    return inlineCall(node, decl, env.c, (body) => env.c.expr.scalar(body, env));
  }
  const name = (nameNode.simpleName ?? '').toLowerCase();
  const args = node.node('ArgumentList')?.list('Expressions') ?? [];
  return windowCall(name, args, node, env);
}
