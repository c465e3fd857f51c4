/**
 * User-defined functions and views (`let f = (a:string, n:long = 3) { … };`, 'let v = view () { … };').
 * The binder has already typed the body against the declared parameters; a call binds each parameter
 * symbol to the call's argument (or the default) and compiles the body in place, like a macro. The
 * argument keeps the caller's row scope, so scalar functions may be applied to columns.
 */
import type { Column, Compiler, Relation } from './context.js';
import type { KNode } from './kusto.js';

/** The declaration a call or name refers to, when it is a user function. */
export function userFunction(node: KNode, c: Compiler): KNode | undefined {
  const symbol = node.kind === 'FunctionCallExpression' ? node.node('Name')?.symbol : node.symbol;
  if (symbol?.kind !== 'Function') return undefined;
  const bound = c.letExpression(symbol.key);
  return bound?.kind === 'FunctionDeclaration' ? bound : undefined;
}

/** Compiles a call's body with its parameters bound; `compile` gets the body's result expression. */
export function inlineCall<T>(
  call: KNode,
  decl: KNode,
  c: Compiler,
  compile: (body: KNode) => T,
  input?: Relation,
): T {
  let params = decl.node('Parameters')?.list('Parameters') ?? [];
  const args =
    call.kind === 'FunctionCallExpression' ? (call.node('ArgumentList')?.list('Expressions') ?? []) : [];
  let restoreTable = () => {};
  if (input) {
    // `T | invoke f(a)`: the piped rows are f's first (tabular) parameter
    const first = params[0]?.node('NameAndType')?.node('Name')?.symbol;
    if (!first) return c.fail(decl, 'invoke of a function without a tabular parameter');
    restoreTable = c.bindTable(first.key, input);
    params = params.slice(1);
  }
  // `f(a, n=5)`: positional arguments first, then named ones (Kusto allows both for user functions)
  const positional = args.filter((a) => a.kind !== 'SimpleNamedExpression');
  const named = new Map(
    args
      .filter((a) => a.kind === 'SimpleNamedExpression')
      .map((a) => [a.node('Name')?.simpleName?.toLowerCase(), a.node('Expression')] as const),
  );
  const bindings: [unknown, KNode][] = params.map((p, i) => {
    const name = p.node('NameAndType')?.node('Name');
    const value =
      positional[i] ?? named.get(name?.simpleName?.toLowerCase()) ?? p.node('DefaultValue')?.node('Value');
    if (!name?.symbol || !value) return c.fail(p, 'function parameter without a value');
    return [name.symbol.key, value];
  });
  const body = decl.node('Body');
  if (!body) return c.fail(decl, 'function without a body');
  try {
    return compileBody(body, bindings, c, compile);
  } finally {
    restoreTable();
  }
}

/** A function or pattern body (`{ let …; expression }`) compiled with its parameters bound. */
export function compileBody<T>(
  body: KNode,
  bindings: [unknown, KNode][],
  c: Compiler,
  compile: (body: KNode) => T,
): T {
  const result = body.node('Expression');
  if (!result) return c.fail(body, 'body without an expression');
  const restore = c.bind(bindings);
  try {
    for (const statement of body.list('Statements')) {
      if (statement.kind !== 'LetStatement') c.fail(statement);
      c.bindLet(statement);
    }
    return compile(result);
  } finally {
    restore();
  }
}

/** `T | invoke f(args)`: f's body with the piped rows as its first parameter. */
export function invoke(op: KNode, input: Relation, _out: Column[], c: Compiler): Relation {
  const call = op.node('Function');
  const decl = call && userFunction(call, c);
  if (!call || !decl) return c.fail(op, 'invoke of a function that is not declared in the query');
  return inlineCall(call, decl, c, (body) => c.tabular(body), input);
}
