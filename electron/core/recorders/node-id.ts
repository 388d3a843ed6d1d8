/** How a process of a site is named (`--id`): one safe path segment, in URLs, file names and package folders alike. */
export const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
