@A040 @r4
Feature: A040 Retrieve on-behalf-of practitioner info
  A service provider clinician admin (SPCA) always acts for a service provider clinician. A040 lists the
  clinicians it may act for (UK Core Practitioner, SDS user id) so it can send one of them in
  NHSD-eRS-On-Behalf-Of-User-ID on later calls; A040 itself is called without that header. Only the SPCA role may
  call it, user-restricted (catalogue section 2, A040; sections 4 and 5). Requirements: A040-OP and each
  documented A040 error response.

  @user-restricted @req=A040-OP
  Scenario: an SPCA learns which clinicians it may act for
    Given the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
    When the caller retrieves the practitioners it may act on behalf of
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a searchset Bundle of 1 Practitioner resource
    And the Bundle lists the clinician the SERVICE_PROVIDER_CLINICIAN_ADMIN acts on behalf of
    And the request carried a bearer token, the caller's business function and ODS code, and no on-behalf-of header
    And the response echoes the request's X-Correlation-ID

  @user-restricted @negative @error=REC_BAD_REQUEST @req=A040-ERR-REC_BAD_REQUEST
  Scenario Outline: a query <why> is a bad request
    Given the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
    When the caller retrieves practitioners with the query "<query>"
    Then the response status is 400
    And the response is an R4 OperationOutcome with issue type <issue type> and code REC_BAD_REQUEST

    Examples:
      | why                                | query                               | issue type |
      | without _query                     |                                     | invalid    |
      | naming another query               | _query=allPractitioners             | invalid    |
      | with _query repeated               | _query=onBehalfOf&_query=onBehalfOf | invalid    |

  @user-restricted @negative @error=REC_FORBIDDEN @req=A040-ERR-403-REC_FORBIDDEN
  Scenario Outline: a <role> may not ask whom it may act for
    Given the caller is a <role>
    When the caller retrieves the practitioners it may act on behalf of
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

    Examples:
      | role                       | why                                      |
      | SERVICE_PROVIDER_CLINICIAN | acts for itself, not on behalf of others |
      | REFERRING_CLINICIAN        | a referrer role                          |
