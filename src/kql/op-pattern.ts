/**
 * `declare pattern` statements and their invocations: `p("a")` or `p("a").Path` runs the body of the arm
 * whose constant values equal the call's (a path value "*" matches any path), with the pattern's
 * parameters bound to the call's arguments. A call no arm matches is TT001 (Kusto rejects it too).
 */
import type { Compiler, Relation } from './context.js';
import type { KNode } from './kusto.js';
import { compileBody } from './op-userfn.js';

/** The pattern a call invokes, its arguments, and the path it selects (`p("a").Path`), if any. */
interface PatternCall {
  call: KNode;
  path: string | undefined;
}

function patternCall(node: KNode): PatternCall | undefined {
  if (node.kind === 'FunctionCallExpression' && node.node('Name')?.symbol?.kind === 'Pattern')
    return { call: node, path: undefined };
  if (node.kind === 'PathExpression') {
    const inner = node.node('Expression');
    const selector = node.node('Selector');
    const call = inner && patternCall(inner);
    if (call && !call.path && selector) {
      const name = selector.kind === 'BracketedName' ? selector.node('Name') : selector;
      return { call: call.call, path: name?.simpleName ?? name?.literalText };
    }
  }
  return undefined;
}

/** The value of an argument or arm value as text (patterns compare strings; numbers by their text). */
function constantText(node: KNode, c: Compiler): string | undefined {
  const k = c.expr.constant(node, c);
  return k === undefined ? undefined : String(k.value);
}

/** Translates a pattern invocation, or returns undefined when the node is not one. */
export function patternInvocation(
  node: KNode,
  declarations: ReadonlyMap<string, KNode>,
  c: Compiler,
  compile: (body: KNode) => Relation,
): Relation | undefined {
  const found = patternCall(node);
  if (!found) return undefined;
  const { call, path } = found;
  const decl = declarations.get(call.node('Name')?.simpleName ?? '');
  if (!decl) return c.fail(call, 'pattern that is not declared in the query');
  const args = call.node('ArgumentList')?.list('Expressions') ?? [];
  const values = args.map((a) => constantText(a, c) ?? c.fail(a, 'pattern argument that is not a constant'));
  const arm = decl.list('Patterns').find((match) => {
    const own = (match.node('ParameterValues')?.list('Expressions') ?? []).map((v) => constantText(v, c));
    const armPath = match.node('PathValue')?.node('Value');
    const pathText = armPath ? constantText(armPath, c) : undefined;
    const pathMatches = path === undefined ? !armPath : pathText === '*' || pathText === path;
    return pathMatches && own.length === values.length && own.every((v, i) => v === values[i]);
  });
  const body = arm?.node('Body');
  if (!body) return c.fail(node, 'pattern invocation that no declared arm matches');
  const params = decl.list('Parameters');
  const bindings: [unknown, KNode][] = params.flatMap((p, i) => {
    const key = (p.node('Name') ?? p.node('NameAndType')?.node('Name'))?.symbol?.key;
    return key && args[i] ? [[key, args[i]] as [unknown, KNode]] : [];
  });
  return compileBody(body, bindings, c, compile);
}
