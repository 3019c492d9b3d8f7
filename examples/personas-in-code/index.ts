// A Pulumi program that generates QA personas in code instead of YAML: one
// alias-only user per combination of plan and locale, each with attributes and
// subscription groups derived from the combination. Run it like any Pulumi
// TypeScript program with pulumi-braze-profiles installed.
import * as braze from "pulumi-braze-profiles";

const plans = ["free", "trial", "pro"] as const;
const locales = [
  { language: "en", country: "US", time_zone: "America/New_York" },
  { language: "de", country: "DE", time_zone: "Europe/Berlin" },
] as const;

const NEWSLETTER = "5e1f0a2c-newsletter";
const PRODUCT_UPDATES = "7b2d9e41-product-updates";

export const personas = plans.flatMap((plan) =>
  locales.map((locale) => {
    const name = `${plan}-${locale.language}`;
    const user = new braze.BrazeUser(`persona-${name}`, {
      alias: { name, label: "generated-personas" },
      attributes: {
        first_name: `${plan[0].toUpperCase()}${plan.slice(1)} ${locale.country}`,
        email: `qa+${name}@example.com`,
        email_subscribe: plan === "free" ? "subscribed" : "opted_in",
        ...locale,
        plan,
        seats: plan === "pro" ? 25 : 1,
        feature_flags: plan === "pro" ? ["sso", "audit-log"] : [],
      },
      subscriptionGroups: {
        [NEWSLETTER]: "subscribed",
        [PRODUCT_UPDATES]: plan === "free" ? "unsubscribed" : "subscribed",
      },
    });
    return user.alias.name;
  }),
);
