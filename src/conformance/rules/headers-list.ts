/**
 * Request headers that carry a user context (catalogue sections 4 and 10.3): the user-restricted role headers and the
 * proxy's internal names they are renamed to. An application-restricted call carrying any of them gets an empty 403.
 */
export const USER_CONTEXT_HEADERS = ['NHSD-eRS-Business-Function', 'NHSD-End-User-Organisation-ODS', 'NHSD-eRS-On-Behalf-Of-User-ID', 'x-ers-ods-code', 'x-ers-business-function', 'x-ers-user-id'];
