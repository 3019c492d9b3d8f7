// Compile-time test: tsc checks this file during the build (it is not run).
// Each `@ts-expect-error` line must be an error, or the build fails; the
// accepted values must compile. UserAttributes comes from the schema through
// `npm run generate:types`.
import type { UserAttributes } from "../../index";

export const accepted: UserAttributes[] = [
  {
    first_name: "Ada",
    email: "ada@example.com",
    phone: "+15043277269",
    gender: "F",
    dob: "1990-12-10",
    email_subscribe: "opted_in",
    push_subscribe: "unsubscribed",
    current_location: { longitude: -0.12, latitude: 51.5 },
    // Custom attributes stay open: any value the schema accepts.
    plan: "pro",
    lifetime_orders: 12,
    trial_user: true,
    favorite_genres: ["sci-fi", "drama"],
    loyalty: { tier: "gold", points: 1200, since: { $time: "2019-05-01T00:00:00Z" } },
    orders: [{ id: "o-1", total: 84.5 }],
  },
];

// @ts-expect-error a global subscription state is "opted_in", "subscribed" or "unsubscribed"
export const subscribeYes: UserAttributes = { email_subscribe: "yes" };

// @ts-expect-error push_subscribe takes the same states, not a boolean
export const pushTrue: UserAttributes = { push_subscribe: true };

// @ts-expect-error gender is one of "M", "F", "O", "N", "P"
export const genderWord: UserAttributes = { gender: "female" };

// @ts-expect-error a phone number is text (an unquoted number loses its "+")
export const phoneNumber: UserAttributes = { phone: 15043277269 };

// @ts-expect-error first_name is text
export const firstNameNumber: UserAttributes = { first_name: 42 };

// @ts-expect-error current_location needs both longitude and latitude
export const halfLocation: UserAttributes = { current_location: { longitude: 1 } };

// @ts-expect-error null is not a value: remove the key to unset an attribute
export const customNull: UserAttributes = { nickname: null };

// @ts-expect-error dob is a YYYY-MM-DD string, not a Date
export const dobDate: UserAttributes = { dob: new Date() };
