@A037 @r4
Feature: A037 Retrieve healthcare service version
  A referrer that cached a service (A033) asks, with HEAD and no body in the answer, whether it changed: the weak
  ETag W/"n" is the current meta.versionId. Same callers as A033 (catalogue section 2, A037; section 7).
  Errors on HEAD carry no body, so only the status tells them apart. Requirements: A037-OP and each documented
  A037 error response.

  @user-restricted @sandbox @req=A037-OP
  Scenario Outline: a <role> checks the version of a service it read
    Given the caller is a <role>
    When the caller retrieves the R4 healthcare service "<directory.service>"
    Then the response status is 200
    When the caller checks the version of the healthcare service it read
    Then the response status is 200
    And the response body is empty
    And the version ETag equals the meta.versionId of the service read
    And the response echoes the request's X-Correlation-ID

    Examples:
      | role                      |
      | REFERRING_CLINICIAN       |
      | REFERRING_CLINICIAN_ADMIN |

  @app-restricted @sandbox @req=A037-OP
  Scenario: the referrer application checks a service's version
    Given the caller is the referrer application
    When the caller retrieves the R4 healthcare service "<directory.service>"
    And the caller checks the version of the healthcare service it read
    Then the response status is 200
    And the version ETag equals the meta.versionId of the service read

  @user-restricted @req=A037-OP
  Scenario: the version answer carries the cache header the catalogue names
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the version of the R4 healthcare service "<directory.service>"
    Then the response status is 200
    And the response carries a weak ETag and Cache-Control

  @user-restricted @negative @error=REC_NOT_FOUND @req=A037-ERR-REC_NOT_FOUND
  Scenario: the version of an unknown service is not found, without a body
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the version of the R4 healthcare service "<directory.unknownService>"
    Then the response status is 404
    And the response body is empty

  @user-restricted @negative @error=REC_FORBIDDEN @req=A037-ERR-403-REC_FORBIDDEN
  Scenario Outline: a <role> may not check a service's version
    Given the caller is a <role>
    When the caller retrieves the version of the R4 healthcare service "<directory.service>"
    Then the response status is 403
    And the response body is empty

    Examples:
      | role                       | why                                  |
      | SERVICE_PROVIDER_CLINICIAN | a provider role                      |
      | REFERRING_ADMIN            | administrative, not in the A037 list |
