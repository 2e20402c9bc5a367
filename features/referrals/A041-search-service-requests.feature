@A041 @r4
Feature: A041 Search for service requests (UBRN to ServiceRequest id)
  The R4 operations name referrals and advice and guidance requests by ServiceRequest id (r.{id} for a referral,
  a.{id} for an A&G request), not by UBRN. A041 bridges the two: a search by identifier ({ubrn}, or
  https://fhir.nhs.uk/Id/UBRN|{ubrn}) returns a searchset Bundle of NHSDigital-ServiceRequest entries; an unknown
  UBRN gives an empty Bundle. Referrers and providers may call it, user-restricted; an SPCA names the clinician
  it acts for (catalogue section 2, A041; sections 4 and 5). Requirements: A041-OP and each documented A041 error
  response.

  @user-restricted @sandbox @req=A041-OP
  Scenario Outline: a <role> finds the ServiceRequest id of a referral
    Given the caller is a <role>
    When the caller searches for the service requests of UBRN "<serviceRequests.referral>"
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a searchset Bundle of 1 ServiceRequest resource
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.referral>"
    And the response echoes the request's X-Correlation-ID

    Examples:
      | role                      |
      | REFERRING_CLINICIAN       |
      | REFERRING_CLINICIAN_ADMIN |

  @user-restricted @req=A041-OP
  Scenario Outline: a <role> finds a referral booked at its organisation
    Given the caller is a <role>
    When the caller searches for the service requests of UBRN "<serviceRequests.bookedAtProvider>"
    Then the response status is 200
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.bookedAtProvider>"
    And the request carried a bearer token, the caller's business function and ODS code, and <obo> on-behalf-of header

    Examples:
      | role                             | obo |
      | SERVICE_PROVIDER_CLINICIAN       | no  |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN | its |

  @user-restricted @req=A041-OP
  Scenario: the UBRN may be given with its identifier system
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the service requests of UBRN "https://fhir.nhs.uk/Id/UBRN|<serviceRequests.referral>"
    Then the response status is 200
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.referral>"

  @user-restricted @sandbox @req=A041-OP
  Scenario: an advice and guidance request is an a. ServiceRequest with the advice-and-guidance code
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the service requests of UBRN "<serviceRequests.adviceAndGuidance>"
    Then the response status is 200
    And the response is a searchset Bundle of 1 ServiceRequest resource
    And the Bundle holds a advice ServiceRequest for UBRN "<serviceRequests.adviceAndGuidance>"

  @user-restricted @sandbox @req=A041-OP
  Scenario: an A&G request converted into a referral gives both ServiceRequests
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the service requests of UBRN "<serviceRequests.referralAndAdvice>"
    Then the response status is 200
    And the response is a searchset Bundle of 2 ServiceRequest resources
    And the Bundle holds a referral ServiceRequest for UBRN "<serviceRequests.referralAndAdvice>"
    And the Bundle holds a advice ServiceRequest for UBRN "<serviceRequests.referralAndAdvice>"

  @user-restricted @req=A041-OP
  Scenario: a cancelled referral is a revoked ServiceRequest
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the service requests of UBRN "<serviceRequests.cancelledReferral>"
    Then the response status is 200
    And that ServiceRequest has status revoked

  @user-restricted @sandbox @req=A041-OP
  Scenario: a UBRN e-RS does not hold gives an empty searchset
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the service requests of UBRN "<serviceRequests.none>"
    Then the response status is 200
    And the response is a searchset Bundle of 0 ServiceRequest resources

  @user-restricted @req=A041-OP
  Scenario: a referral the caller has no relationship with is not disclosed
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller searches for the service requests of UBRN "<serviceRequests.otherProvider>"
    Then the response status is 200
    And the response is a searchset Bundle of 0 ServiceRequest resources

  @user-restricted @negative @error=REC_BAD_REQUEST @req=A041-ERR-REC_BAD_REQUEST
  Scenario Outline: a search <why> is a bad request
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for service requests with the query "<query>"
    Then the response status is 400
    And the response is an R4 OperationOutcome with issue type <issue type> and code REC_BAD_REQUEST

    Examples:
      | why                                | query                                                                  | issue type |
      | without identifier                 |                                                                        | required   |
      | with an empty identifier           | identifier=                                                            | required   |
      | with another identifier system     | identifier=https://fhir.nhs.uk/Id/nhs-number\|<serviceRequests.referral> | required   |
      | with a value that is not a UBRN    | identifier=12345                                                       | required   |
      | with identifier repeated           | identifier=<serviceRequests.referral>&identifier=<serviceRequests.none> | required   |

  @user-restricted @negative @error=REC_FORBIDDEN @req=A041-ERR-403-REC_FORBIDDEN
  Scenario Outline: a <role> may not search service requests
    Given the caller is a <role>
    When the caller searches for the service requests of UBRN "<serviceRequests.referral>"
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

    Examples:
      | role                   | why                                   |
      | REFERRING_ADMIN        | administrative, not in the A041 list  |
      | SERVICE_PROVIDER_ADMIN | administrative, not in the A041 list  |

  @user-restricted @negative @error=REC_FORBIDDEN @req=A041-ERR-403-REC_FORBIDDEN @req=X-HDR-ON-BEHALF-OF
  Scenario: an SPCA must name the clinician it acts for
    Given the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
    And the request omits the "NHSD-eRS-On-Behalf-Of-User-ID" header
    When the caller searches for the service requests of UBRN "<serviceRequests.bookedAtProvider>"
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN
