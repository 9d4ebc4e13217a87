/** Time units, named once: retention periods in config are in days, the engine works in epoch ms. */
export const kMsPerDay = 86_400_000;
