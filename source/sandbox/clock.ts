// Webex timestamps are ISO-8601 with milliseconds and a Z.
export const now = () => new Date().toISOString();
