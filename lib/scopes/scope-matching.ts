/** A scope hierarchy compiled once: every scope mapped to all the scopes it implies, itself included. */
export type CompiledScopeHierarchy = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Compiles `{ broader: [narrower, …] }` into its transitive closure, so checking a request costs one
 * lookup per granted scope. Cycles are harmless: scopes in a cycle imply each other.
 */
export function compileScopeHierarchy(hierarchy: Readonly<Record<string, readonly string[]>> = {}): CompiledScopeHierarchy {
  const compiled = new Map<string, ReadonlySet<string>>();
  for (const broader of Object.keys(hierarchy)) {
    const implied = new Set<string>([broader]);
    const pending = [...(hierarchy[broader] ?? [])];
    while (pending.length > 0) {
      const scope = pending.pop()!;
      if (implied.has(scope)) continue;
      implied.add(scope);
      pending.push(...(hierarchy[scope] ?? []));
    }
    compiled.set(broader, implied);
  }
  return compiled;
}

/** Every scope the granted ones satisfy, hierarchy applied. */
export function effectiveScopes(granted: readonly string[], hierarchy: CompiledScopeHierarchy): Set<string> {
  const effective = new Set<string>();
  for (const scope of granted) {
    const implied = hierarchy.get(scope);
    if (implied) for (const narrower of implied) effective.add(narrower);
    else effective.add(scope);
  }
  return effective;
}

/** The required scopes that the granted ones do not satisfy (empty when access is allowed). */
export function missingScopes(
  required: readonly string[],
  granted: readonly string[],
  hierarchy: CompiledScopeHierarchy,
): string[] {
  if (required.length === 0) return [];
  // The common case, every required scope granted as such, needs no set.
  if (required.every((scope) => granted.includes(scope))) return [];
  const effective = effectiveScopes(granted, hierarchy);
  return required.filter((scope) => !effective.has(scope));
}

/** Union of scope lists, first occurrence order kept. */
export function unionScopes(...lists: ReadonlyArray<readonly string[] | undefined>): string[] {
  const union = new Set<string>();
  for (const list of lists) if (list) for (const scope of list) union.add(scope);
  return [...union];
}
