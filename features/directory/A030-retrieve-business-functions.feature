@A030 @r4
Feature: A030 Retrieve user business functions (PractitionerRole)
  Any authenticated CIS2 user asks e-RS which business functions it holds at which organisations, before it
  knows which role and ODS code to send: one PractitionerRole per organisation, in a UK Core searchset Bundle.
  No role headers are needed and the organisation allowlist does not apply (catalogue section 2, A030; section 5).
  Requirements: A030-OP and each documented A030 error response.

  @user-restricted @req=A030-OP
  Scenario Outline: a <role> learns the roles e-RS holds for it
    Given the caller is a <role>
    When the caller retrieves its business functions
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a searchset Bundle of 1 PractitionerRole resource
    And every PractitionerRole names the caller's SDS user id, an ODS organisation and e-RS business functions
    And e-RS says the caller holds the <role> role at its organisation
    And the response echoes the request's X-Correlation-ID
    And the response carries an X-Request-ID

    Examples: referrer, provider and other business functions: A030 is open to every user
      | role                             |
      | REFERRING_CLINICIAN              |
      | REFERRING_CLINICIAN_ADMIN        |
      | REFERRING_ADMIN                  |
      | SERVICE_PROVIDER_CLINICIAN       |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |
      | SERVICE_PROVIDER_ADMIN           |
      | COMMISSIONER                     |

  @user-restricted @sandbox @req=A030-OP
  Scenario: a CIS2 user reads its business functions without sending any role header
    Given the caller is a CIS2 user who holds the REFERRING_CLINICIAN role but has not chosen a role yet
    When the caller retrieves its business functions
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a searchset Bundle of PractitionerRole resources
    And each PractitionerRole names an ODS organisation and e-RS business functions, all for one SDS user

  @user-restricted @profiles @req=A030-OP
  Scenario: the roles conform to the UK Core Bundle and PractitionerRole profiles
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves its business functions
    Then the response status is 200
    And the response conforms to "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Bundle"

  @user-restricted @req=A030-OP
  Scenario: the answer does not depend on the role the caller happens to send
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "NHSD-eRS-Business-Function" header as "SERVICE_PROVIDER_CLINICIAN"
    When the caller retrieves its business functions
    Then the response status is 200
    And e-RS says the caller holds the REFERRING_CLINICIAN role at its organisation

  @app-restricted @negative @error=REC_FORBIDDEN @req=A030-ERR-403-REC_FORBIDDEN
  Scenario: an application cannot ask for a user's business functions
    Given the caller is the referrer application
    When the caller retrieves its business functions
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN
