"""Online look-ups against recorded answers: parsing, errors, cache and rate limits."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from offlabel.cli import main
from offlabel.literature.online import (
    BadResponse,
    InvalidIdentifier,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    lookup,
)
from offlabel.literature.online.cache import ResponseCache
from offlabel.literature.online.crossref import CrossrefClient
from offlabel.literature.online.ctgov import ClinicalTrialsClient
from offlabel.literature.online.eutils import EutilsClient
from offlabel.literature.online.ratelimit import TokenBucket
from offlabel.literature.online.transport import (
    ReplayTransport,
    Response,
    TransportError,
    public_url,
)
from tests.support.shared_data import TEST_DATA

RECORDED = TEST_DATA / "recorded"
DOI = "10.3109/17482968.2010.544386"
NCT = "NCT00501696"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def replay() -> ReplayTransport:
    return ReplayTransport.from_directory(RECORDED)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client_options(clock: FakeClock) -> dict:
    return {"sleep": clock.sleep, "limiter": TokenBucket(1000, clock=clock, sleep=clock.sleep)}


def test_efetch_by_pmid_gives_the_parsed_record(replay, clock):
    record = EutilsClient(
        api_key="", email="", transport=replay, **client_options(clock)
    ).fetch_one("29768149")
    assert record.pmid == "29768149"
    assert record.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma."
    assert record.doi == "10.1056/nejmoa1715274"
    assert record.journal == "The New England journal of medicine"


def test_esearch_returns_count_and_pmids(replay, clock):
    client = EutilsClient(api_key="", email="", transport=replay, **client_options(clock))
    result = client.search("29768149[pmid]")
    assert (result.count, result.pmids) == (1, ("29768149",))


def test_an_unknown_pmid_is_not_found_and_named(replay, clock):
    client = EutilsClient(api_key="", email="", transport=replay, **client_options(clock))
    with pytest.raises(NotFound, match=r"^1: PubMed returned no record") as error:
        client.fetch_one("1")
    assert isinstance(error.value, LookupError)


def test_crossref_work_is_read_by_the_crossref_parser(replay, clock):
    record = CrossrefClient(mailto="", transport=replay, **client_options(clock)).record(
        f"https://doi.org/{DOI.upper()}"
    )
    assert record.doi == DOI
    assert record.title == "ALSUntangled No. 8: Low dose naltrexone for ALS"
    assert record.journal == "Amyotrophic Lateral Sclerosis"
    assert (record.volume, record.issue, record.pages) == ("12", "1", "76-78")


def test_crossref_404_is_not_found_naming_the_doi(replay, clock):
    client = CrossrefClient(mailto="", transport=replay, **client_options(clock))
    with pytest.raises(NotFound, match=r"10\.9999/does-not-exist: not found \(HTTP 404"):
        client.work("10.9999/does-not-exist")


def test_ctgov_study_is_read_by_the_ctgov_parser(replay, clock):
    record = ClinicalTrialsClient(transport=replay, **client_options(clock)).record(NCT.lower())
    assert record.nct == NCT
    assert "Low Dose Naltrexone" in record.title
    assert "Naltrexone" in record.mesh_names


def test_ctgov_unknown_study_is_not_found(replay, clock):
    with pytest.raises(NotFound, match="NCT99999999"):
        ClinicalTrialsClient(transport=replay, **client_options(clock)).study("NCT99999999")


@pytest.mark.parametrize(
    ("kind", "value"), [("pmid", "12ab"), ("doi", "not-a-doi"), ("nct", "NCT123")]
)
def test_malformed_identifiers_are_refused_before_any_request(kind, value, replay):
    with pytest.raises(InvalidIdentifier, match=value):
        lookup(kind, value, use_cache=False, transport=replay)
    assert replay.requested == []


def answering(*responses: Response) -> ReplayTransport:
    class Sequence(ReplayTransport):
        def __init__(self) -> None:
            super().__init__({})
            self.queue = list(responses)

        def get(self, url: str, *, timeout: float) -> Response:
            self.requested.append(url)
            answer = self.queue.pop(0)
            if answer.status == 0:
                raise TransportError("timed out")
            return answer

    return Sequence()


def test_429_is_retried_after_the_servers_delay_then_succeeds(clock):
    body = (RECORDED / f"ctgov-study-{NCT}.json").read_bytes()
    transport = answering(Response("u", 429, b"", {"Retry-After": "7"}), Response("u", 200, body))
    study = ClinicalTrialsClient(transport=transport, retries=2, **client_options(clock)).study(NCT)
    assert study["protocolSection"]["identificationModule"]["nctId"] == NCT
    assert 7.0 in clock.slept


def test_429_every_time_raises_rate_limited(clock):
    transport = answering(*[Response("u", 429, b"slow down")] * 3)
    with pytest.raises(RateLimited, match=NCT):
        ClinicalTrialsClient(transport=transport, retries=2, **client_options(clock)).study(NCT)
    assert len(transport.requested) == 3


def test_500_and_timeouts_become_service_unavailable(clock):
    transport = answering(Response("u", 500, b"oops"), Response("u", 0, b""))
    with pytest.raises(ServiceUnavailable, match=r"10\.1000/x: no answer"):
        CrossrefClient(mailto="", transport=transport, retries=1, **client_options(clock)).work(
            "10.1000/x"
        )


def test_bad_json_and_wrong_shapes_are_bad_responses(clock):
    for body in (b"<html>", b'{"status": "ok", "message-type": "work-list", "message": {}}'):
        transport = answering(Response("u", 200, body))
        with pytest.raises(BadResponse, match=r"10\.1000/x"):
            CrossrefClient(mailto="", transport=transport, **client_options(clock)).work(
                "10.1000/x"
            )
    transport = answering(Response("u", 200, b'{"studies": []}'))
    with pytest.raises(BadResponse, match=NCT):
        ClinicalTrialsClient(transport=transport, **client_options(clock)).study(NCT)
    transport = answering(Response("u", 200, b'{"esearchresult": {"ERROR": "bad query"}}'))
    with pytest.raises(BadResponse, match="bad query"):
        EutilsClient(api_key="", transport=transport, **client_options(clock)).search("x[zz]")


def test_cached_answers_are_reused_and_expire(tmp_path, replay, clock):
    cache = ResponseCache(tmp_path, ttl_seconds=100, clock=clock)
    client = CrossrefClient(mailto="", transport=replay, cache=cache, **client_options(clock))
    client.work(DOI)
    client.work(DOI)
    assert len(replay.requested) == 1
    clock.now += 101
    client.work(DOI)
    assert len(replay.requested) == 2


def test_the_api_key_reaches_ncbi_but_never_the_cache(tmp_path, replay, clock):
    seen: list[str] = []

    class Spy(ReplayTransport):
        def get(self, url: str, *, timeout: float) -> Response:
            seen.append(url)
            return replay.get(url, timeout=timeout)

    cache = ResponseCache(tmp_path, clock=clock)
    client = EutilsClient(
        api_key="SECRET", email="a@b.c", transport=Spy({}), cache=cache, **client_options(clock)
    )
    client.fetch_one("29768149")
    assert "api_key=SECRET" in seen[0]
    assert client.rate == 10.0
    assert b"SECRET" not in cache.path.read_bytes()
    assert public_url(seen[0]).endswith("db=pubmed&id=29768149&retmode=xml&tool=offlabel")


def test_rate_is_three_per_second_without_a_key_and_ten_with_one(clock):
    assert EutilsClient(api_key="").rate == 3.0
    assert EutilsClient(api_key="k").rate == 10.0


def test_token_bucket_spaces_requests_after_a_burst(clock):
    bucket = TokenBucket(3, clock=clock, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3:] == pytest.approx([1 / 3] * 3)
    assert clock.now == pytest.approx(1.0)
    clock.now += 10  # idle time refills to capacity, not beyond
    assert [bucket.acquire() for _ in range(4)][-1] == pytest.approx(1 / 3)


def test_client_requests_go_through_the_rate_limiter(replay, clock):
    limiter = TokenBucket(3, clock=clock, sleep=clock.sleep)
    client = CrossrefClient(mailto="", transport=replay, limiter=limiter, sleep=clock.sleep)
    for _ in range(5):
        client.work(DOI)
    assert clock.now == pytest.approx(2 / 3)


def test_cli_lookup_answers_from_the_cache_without_network(tmp_path, monkeypatch):
    monkeypatch.setenv("OFFLABEL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CROSSREF_MAILTO", raising=False)
    cache = ResponseCache(tmp_path)
    url = CrossrefClient(mailto="").url(DOI)
    cache.put(url, (RECORDED / "crossref-work-10.3109-17482968.2010.544386.json").read_bytes())
    result = CliRunner().invoke(main, ["literature", "lookup", "doi", DOI, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["doi"] == DOI
    assert data["journal"] == "Amyotrophic Lateral Sclerosis"


def test_cli_lookup_of_a_malformed_id_exits_2_naming_it():
    result = CliRunner().invoke(main, ["literature", "lookup", "nct", "NCT12"])
    assert result.exit_code == 2
    assert "NCT12: not an NCT id" in result.output


@pytest.mark.network
def test_live_lookups_reach_all_three_services(tmp_path):
    assert lookup("pmid", "29768149", cache_dir=tmp_path).pmid == "29768149"
    assert lookup("doi", DOI, cache_dir=tmp_path).doi == DOI
    assert lookup("nct", NCT, cache_dir=tmp_path).nct == NCT
