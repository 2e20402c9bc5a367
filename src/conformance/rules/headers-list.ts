/** The user-context request headers (catalogue section 4): user-restricted calls only. */
export const USER_CONTEXT_HEADERS = ['NHSD-eRS-Business-Function', 'NHSD-End-User-Organisation-ODS', 'NHSD-eRS-On-Behalf-Of-User-ID'];
