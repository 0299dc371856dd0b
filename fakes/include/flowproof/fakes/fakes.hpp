// flowproof/fakes/fakes.hpp — everything in flowproof::fakes except the GoogleTest/GoogleMock
// helpers (gtest.hpp, mock_prompter.hpp), which need the consumer's test framework.
//
//   #include <flowproof/fakes/fakes.hpp>
//   flowproof::fakes::FakeSession session;
//   flowproof::fakes::ScriptedPrompter prompter(session);
#pragma once

#include <flowproof/fakes/backend.hpp>
#include <flowproof/fakes/clock.hpp>
#include <flowproof/fakes/errors.hpp>
#include <flowproof/fakes/prompter.hpp>
#include <flowproof/fakes/session.hpp>
#include <flowproof/fakes/transports.hpp>
#include <flowproof/fakes/waiter.hpp>
