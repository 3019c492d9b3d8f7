// Deterministic personas for reliability tests: varied attributes, a nested
// object, a string array and two subscription groups each.

export interface PersonaDeclaration {
  alias: { name: string; label: string };
  attributes: Record<string, unknown>;
  subscription_groups: Record<string, "subscribed" | "unsubscribed">;
}

export function personas(count: number, label = "reliability"): PersonaDeclaration[] {
  return Array.from({ length: count }, (_, i) => ({
    alias: { name: `persona-${String(i).padStart(4, "0")}`, label },
    attributes: {
      first_name: `Persona ${i}`,
      email: `persona-${i}@example.com`,
      plan: ["free", "trial", "pro"][i % 3],
      seats: (i % 7) + 1,
      beta_features: i % 2 === 0 ? ["dark-mode", "exports"] : ["exports"],
      loyalty: { tier: ["bronze", "silver", "gold"][i % 3], points: i * 10 },
    },
    subscription_groups: { "group-newsletter": i % 2 === 0 ? "subscribed" : "unsubscribed", "group-offers": "subscribed" },
  }));
}

/** The changes a "change" phase applies: one attribute on every tenth user, a removed attribute and a flipped group on others. */
export function changed(users: PersonaDeclaration[]): PersonaDeclaration[] {
  return users.map((user, i) => {
    if (i % 10 === 0) return { ...user, attributes: { ...user.attributes, plan: "enterprise" } };
    if (i % 10 === 3) {
      const { seats: _seats, ...rest } = user.attributes;
      return { ...user, attributes: rest };
    }
    if (i % 10 === 7) return { ...user, subscription_groups: { ...user.subscription_groups, "group-offers": "unsubscribed" } };
    return user;
  });
}
