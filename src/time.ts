/** One UTC day: verification counts are kept per day, and daily refills happen at its start. */
export const DAY_MS = 24 * 60 * 60 * 1000;
